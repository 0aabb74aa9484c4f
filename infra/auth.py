"""Cognito: the educators' user pool, its groups, the hosted UI and the review console's app client.

Educators sign in to the user pool; the review routes need its ID token (see the authorizer in ``infra/api.py``),
and the respond function reads the ``cognito:groups`` claim (``educator`` or ``admin``).
"""

from __future__ import annotations

from aws_cdk import Duration, Fn, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.config import StageConfig

EDUCATOR_GROUPS = {"admin": "Manages educators and partner keys; can also review.", "educator": "Reviews replies."}


class EducatorPool(Construct):
    """The Cognito user pool for health educators: invitation only, strong passwords, optional TOTP MFA."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = _user_pool(self, config)
        self.groups = {
            name: cognito.UserPoolGroup(
                self,
                f"{name.capitalize()}Group",
                user_pool=self.user_pool,
                group_name=name,
                description=description,
                precedence=0 if name == "admin" else 10,
            )
            for name, description in EDUCATOR_GROUPS.items()
        }
        # The hosted UI the console sends educators to (classic hosted UI: no managed-login branding to keep).
        prefix = config.cognito_domain_prefix or Fn.join("-", ["antidote", config.name, Stack.of(self).account])
        self.domain = self.user_pool.add_domain(
            "HostedUi", cognito_domain=cognito.CognitoDomainOptions(domain_prefix=prefix)
        )

    @property
    def hosted_ui_url(self) -> str:
        """``https://PREFIX.auth.REGION.amazoncognito.com``: the respond function's ANTIDOTE_COGNITO_DOMAIN."""
        return self.domain.base_url()

    def add_console_client(self, console_url: str, *, served_by: lambda_.Function) -> cognito.UserPoolClient:
        """The console's app client: implicit grant through the hosted UI, back to ``console_url`` (with its slash).

        ``served_by`` (respond) serves the console and tells it where to sign in (console/config.json), so it gets
        the hosted UI's address and this client's id. Made after the API because the callback URL is the API's;
        the URL must not depend on the API's stage (see ``Api.console_url``), or the function's environment
        (which names this client) would close a cycle: function -> client -> stage -> deployment -> methods ->
        function.
        """
        client = self.user_pool.add_client(
            "ConsoleClient",
            auth_flows=cognito.AuthFlow(user_srp=True, user_password=True),
            generate_secret=False,  # a browser app cannot keep a secret
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            id_token_validity=Duration.hours(1),
            access_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.hours(12),
            supported_identity_providers=[cognito.UserPoolClientIdentityProvider.COGNITO],
            o_auth=cognito.OAuthSettings(
                # The console is static files with no back end of its own to redeem a code: the ID token comes
                # back in the URL fragment, which browsers never send to the server.
                flows=cognito.OAuthFlows(implicit_code_grant=True),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
                callback_urls=[console_url],
                logout_urls=[console_url],
            ),
        )
        served_by.add_environment("ANTIDOTE_COGNITO_DOMAIN", self.hosted_ui_url)
        served_by.add_environment("ANTIDOTE_COGNITO_CLIENT_ID", client.user_pool_client_id)
        return client


def _user_pool(scope: Construct, config: StageConfig) -> cognito.UserPool:
    """Retained when the stack is deleted (the educators' accounts), and deletion-protected where data is."""
    return cognito.UserPool(
        scope,
        "UserPool",
        self_sign_up_enabled=False,  # admins invite educators
        sign_in_aliases=cognito.SignInAliases(email=True),
        sign_in_case_sensitive=False,
        auto_verify=cognito.AutoVerifiedAttrs(email=True),
        standard_attributes=cognito.StandardAttributes(
            email=cognito.StandardAttribute(required=True, mutable=True),
            fullname=cognito.StandardAttribute(required=False, mutable=True),
        ),
        password_policy=cognito.PasswordPolicy(
            min_length=12,
            require_lowercase=True,
            require_uppercase=True,
            require_digits=True,
            require_symbols=True,
            temp_password_validity=Duration.days(3),
        ),
        mfa=cognito.Mfa.OPTIONAL,
        mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
        account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
        # Plus tier: compromised-credential and adaptive-authentication checks, enforced, for a few dozen users.
        feature_plan=cognito.FeaturePlan.PLUS,
        standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
        deletion_protection=config.protect_data,
        removal_policy=RemovalPolicy.RETAIN,
        user_invitation=cognito.UserInvitationConfig(
            email_subject="Your Antidote review console account",
            email_body=(
                "You have been invited to review suggested replies in Antidote. "
                "Sign in with {username} and the temporary password {####}; you will choose your own."
            ),
        ),
    )
