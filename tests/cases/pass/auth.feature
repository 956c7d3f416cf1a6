Feature: Authentication
  Basic Auth on /api/secure/employee/get/{n} (user `hr`, password `hr-secret-pw`) and a bearer
  token from POST /api/login (user `alice`, password `alice-secret-pw`) for POST /api/email/send.

  Background:
    Given address "@address"

  Scenario: Basic Auth with the right credentials
    Given URL path "/api/secure/employee/get/123"
    And Basic Auth "hr" "hr-secret-pw"
    When the URL is invoked
    Then status is "200"
    And path "/data/name" is "John Doe"

  Scenario: Basic Auth is sent as an Authorization header
    Given URL path "/api/echo"
    And Basic Auth "hr" "hr-secret-pw"
    When the URL is invoked
    Then path "/headers/authorization" starts with "Basic "

  Scenario: No credentials are refused with a challenge
    Given URL path "/api/secure/employee/get/123"
    When the URL is invoked
    Then status is "403"
    And header "WWW-Authenticate" starts with "Basic"

  Scenario: A login token lets an e-mail through
    Given URL path "/api/login"
    And REST method "POST"
    And request is "{"username": "alice", "password": "alice-secret-pw"}"
    When the URL is invoked
    Then status is "200"
    And I store "/data/token" from response under "token"
    Given URL path "/api/email/send"
    And header "Authorization" "Bearer #{token}"
    And request is "{"to": "bob@example.com", "subject": "Hello"}"
    When the URL is invoked
    Then status is "200"
    And path "/data/to" is "bob@example.com"

  Scenario: The login accepts a form
    Given URL path "/api/login"
    And REST method "POST"
    And form field "username" is "alice"
    And form field "password" is "alice-secret-pw"
    When the URL is invoked
    Then status is "200"
    And path "/data/token_type" is "Bearer"
