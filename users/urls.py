from django.contrib.auth import views as auth_views
from django.urls import path

from users import views
from users.forms import LoginForm

app_name = "users"

urlpatterns = [
    path("users/", views.UserListView.as_view(), name="list"),
    path("users/<id:pk>/crm-account/", views.UserCrmAccountView.as_view(), name="crm_account"),
    path("users/<id:pk>/crm-contact/", views.UserCrmContactView.as_view(), name="crm_contact"),
]

# Login and logout keep their global names (LOGIN_URL, the templates), so the project's urls
# include these outside the "users" namespace.
auth_urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", views.LogoutPageView.as_view(), name="logout"),
    path("language/", views.language_set, name="set_language"),
]
