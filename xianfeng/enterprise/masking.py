"""Contact person and phone are masked unless the role may see personal data
(`member.sensitive` over the enterprise's organization) or the user is its specialist."""

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths
from xianfeng.members.masking import mask_phone


def mask_name(value):
    return value[:1] + "*" * (len(value) - 1) if value else ""


class ContactView:
    """Decides masking for many enterprises at once, without a query per row."""

    def __init__(self, user):
        self.user_id = user.pk
        self.paths = granted_paths(user, Perm.MEMBER_SENSITIVE)

    def allowed(self, enterprise):
        if enterprise.specialist_id == self.user_id:
            return True
        return any(enterprise.organization.path.startswith(p) for p in self.paths)

    def contact(self, enterprise):
        if self.allowed(enterprise):
            return enterprise.contact_name, enterprise.contact_phone
        return mask_name(enterprise.contact_name), mask_phone(enterprise.contact_phone)
