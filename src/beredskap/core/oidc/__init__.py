"""Single sign-on through OpenID Connect providers: HelseID, ID-porten, an agency's Entra ID."""
