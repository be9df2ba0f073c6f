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
