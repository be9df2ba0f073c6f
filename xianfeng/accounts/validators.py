from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """A password must mix at least two of: letters, digits, symbols."""

    def validate(self, password, user=None):
        classes = sum(
            [
                any(c.isalpha() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if classes < 2:
            raise ValidationError(
                "密码须至少包含字母、数字、符号中的两类。", code="password_too_simple"
            )

    def get_help_text(self):
        return "密码须至少包含字母、数字、符号中的两类。"


class ContainsUsernameValidator:
    """A password may not contain the username (forwards or backwards), whatever is around it.

    Django's similarity ratio lets `qiye2qiye2` through for the user `qiye2`; a guesser tries
    exactly that first.
    """

    message = "密码不能包含用户名。"

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        lowered = password.lower()
        if len(username) >= 3 and (username in lowered or username[::-1] in lowered):
            raise ValidationError(self.message, code="password_contains_username")

    def get_help_text(self):
        return self.message
