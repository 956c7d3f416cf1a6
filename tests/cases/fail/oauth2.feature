Feature: OAuth2 tokens, wrongly
  Every scenario must fail.

  Background:
    Given address "@address"
    And OAuth2 endpoint "@{address}/oauth/token"

  Scenario: wrong password
    Given OAuth2 credentials "alice" "wrong-password"
    And I store an OAuth2 bearer token under "token"

  Scenario: an unsupported grant type
    Given OAuth2 credentials "alice" "alice-secret-pw"
    And OAuth2 grant type "authorization_code"
    And I store an OAuth2 bearer token under "token"

  Scenario: no endpoint set
    Given OAuth2 context is cleaned up
    And I store an OAuth2 bearer token under "token"

  Scenario: an endpoint that answers without a token
    Given OAuth2 endpoint "@{address}/api/status/200"
    And I store an OAuth2 bearer token under "token"

  Scenario: a bad extra field
    Given OAuth2 extra fields "audience"

  Scenario: a protected endpoint without the token
    Given OAuth2 credentials "alice" "alice-secret-pw"
    And I store an OAuth2 bearer token under "token"
    And OAuth2 context is cleaned up
    And URL path "/api/email/send"
    And REST method "POST"
    And request is "{"to": "hr@example.com", "subject": "Hello"}"
    When the URL is invoked
    Then status is "200"
