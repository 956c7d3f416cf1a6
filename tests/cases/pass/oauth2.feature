Feature: OAuth2 tokens
  The demo API's /oauth/token issues bearer tokens for a password grant (alice) or a client
  credentials grant (demo-client), sent as a form or as JSON.

  Background:
    Given address "@address"
    And OAuth2 endpoint "@{address}/oauth/token"

  Scenario: password grant, form request, token used on a protected endpoint
    Given OAuth2 credentials "alice" "alice-secret-pw"
    And OAuth2 scopes "email:send"
    And I store an OAuth2 bearer token under "token"
    And OAuth2 bearer token "#token"
    And URL path "/api/email/send"
    And REST method "POST"
    And request is "{"to": "hr@example.com", "subject": "Hello"}"
    When the URL is invoked
    Then status is "200"
    And path "/data/to" is "hr@example.com"

  Scenario: client credentials grant, JSON request, custom field names and extra fields
    Given OAuth2 grant type "client_credentials"
    And OAuth2 client ID field "client_id"
    And OAuth2 client secret field "client_secret"
    And OAuth2 credentials "demo-client" "demo-client-secret"
    And OAuth2 request format "JSON"
    And OAuth2 extra fields "audience=employees, tenant=demo"
    And I store an OAuth2 bearer token under "token"
    Then variable "#token" is any string

  Scenario: the bearer token replaces a header and goes away with the OAuth2 context
    Given OAuth2 credentials "alice" "alice-secret-pw"
    And I store an OAuth2 bearer token under "token"
    And header "Authorization" "Bearer not-the-token"
    And OAuth2 bearer token "#token"
    And URL path "/api/echo"
    When the URL is invoked
    Then path "/headers/authorization" is "Bearer #{token}"
    Given OAuth2 context is cleaned up
    When the URL is invoked
    Then path "/headers/authorization" is "Bearer not-the-token"
