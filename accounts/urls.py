from django.urls import path

from . import views
from .sso import views as sso_views

app_name = "accounts"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_done, name="signup_done"),
    path("verification/renvoyer/", views.resend_verification, name="resend_verification"),
    path("verification/<uidb64>/<token>/", views.verify, name="verify"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    # Single sign-on of Cnam staff (404 while OIDC_ISSUER is unset; accounts/sso/)
    path("cnam/connexion/", sso_views.SsoLoginView.as_view(), name="sso_login"),
    path("cnam/retour/", sso_views.SsoCallbackView.as_view(), name="sso_callback"),
    path("mot-de-passe/oubli/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oubli/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/nouveau/termine/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("mot-de-passe/changer/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profil/", views.profile, name="profile"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
]
