"""Sign in with an email address, case-insensitively."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = (email or username or "").strip()
        if not email or not password:
            return None
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            User().set_password(password)  # spend the same time as a real check (timing attacks)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
