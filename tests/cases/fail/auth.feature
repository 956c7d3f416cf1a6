Feature: Authentication, failing twin
  The same calls as pass/auth.feature, with wrong credentials or wrong expectations. Every
  scenario must fail, and no password or token may appear in the output.

  Background:
    Given address "@address"

  Scenario: Basic Auth with a wrong password is refused
    Given URL path "/api/secure/employee/get/123"
    And Basic Auth "hr" "wrong-secret-pw"
    When the URL is invoked
    Then status is "200"

  Scenario: The Authorization header sent for Basic Auth is not shown
    Given URL path "/api/echo"
    And Basic Auth "hr" "hr-secret-pw"
    When the URL is invoked
    Then path "/headers/authorization" is "Basic aHI6b3RoZXI="

  Scenario: No credentials where some were expected
    Given URL path "/api/secure/employee/get/123"
    When the URL is invoked
    Then header "WWW-Authenticate" is "Bearer"

  Scenario: A stored login token is not shown when a check on it fails
    Given URL path "/api/login"
    And REST method "POST"
    And request is "{"username": "alice", "password": "alice-secret-pw"}"
    When the URL is invoked
    Then I store "/data/token" from response under "token"
    And path "/data/token" is "not-the-token"

  Scenario: A bearer token sent in a header is not shown when a check on it fails
    Given URL path "/api/login"
    And REST method "POST"
    And request is "{"username": "alice", "password": "alice-secret-pw"}"
    When the URL is invoked
    Then I store "/data/token" from response under "login"
    Given URL path "/api/echo"
    And header "Authorization" "Bearer #{login}"
    When the URL is invoked
    Then path "/headers/authorization" is "Bearer none"

  Scenario: A password sent in a form is not shown when a check on it fails
    Given URL path "/api/echo"
    And REST method "POST"
    And form field "username" is "alice"
    And form field "password" is "alice-secret-pw"
    When the URL is invoked
    Then path "/form/password" is "guess"

  Scenario: A password sent as JSON is not shown when a check on it fails
    Given URL path "/api/echo"
    And REST method "POST"
    And request is "{"username": "alice", "password": "alice-secret-pw"}"
    When the URL is invoked
    Then path "/json/password" is "guess"

  Scenario: An e-mail with a token that was never issued is refused
    Given URL path "/api/email/send"
    And REST method "POST"
    And header "Authorization" "Bearer 0123456789abcdef"
    And request is "{"to": "bob@example.com", "subject": "Hello"}"
    When the URL is invoked
    Then status is "200"
