Feature: OAuth2 settings, wrongly
  Every scenario must fail because of the setting it uses.

  Background:
    Given address "@address"
    And OAuth2 endpoint "@{address}/oauth/token"
    And OAuth2 credentials "alice" "alice-secret-pw"

  Scenario: a scope the server does not grant
    Given OAuth2 scopes "admin:all"
    And I store an OAuth2 bearer token under "token"

  Scenario: the username sent under a field the server does not read
    Given OAuth2 client ID field "user"
    And I store an OAuth2 bearer token under "token"

  Scenario: the password sent under a field the server does not read
    Given OAuth2 client secret field "secret"
    And I store an OAuth2 bearer token under "token"

  Scenario: a JSON token request with a client grant but user fields
    Given OAuth2 request format "JSON"
    And OAuth2 grant type "client_credentials"
    And OAuth2 credentials "demo-client" "demo-client-secret"
    And I store an OAuth2 bearer token under "token"

  Scenario: a bearer token the server never issued
    Given OAuth2 bearer token "not-a-token-issued-here"
    And URL path "/api/email/send"
    And REST method "POST"
    And request is "{"to": "hr@example.com", "subject": "Hello"}"
    When the URL is invoked
    Then status is "200"
