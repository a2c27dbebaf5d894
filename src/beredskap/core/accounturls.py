"""URLs of one's own account, all under /konto/ (open to the two-factor middleware)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from beredskap.core import accountviews as views
from beredskap.core.accountviews import local_login_only

app_name = "accounts"
urlpatterns = [
    path(
        "passord/",
        local_login_only(views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "passord/endret/",
        local_login_only(
            auth_views.PasswordChangeDoneView.as_view(
                template_name="core/accounts/password_change_done.html"
            )
        ),
        name="password_change_done",
    ),
    path(
        "passord/glemt/",
        local_login_only(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "passord/glemt/sendt/",
        local_login_only(
            auth_views.PasswordResetDoneView.as_view(
                template_name="core/accounts/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "passord/ny/<uidb64>/<token>/",
        local_login_only(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "passord/ny/ferdig/",
        local_login_only(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="core/accounts/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("invitasjon/<str:secret>/", views.invitation_view, name="invitation"),
]
