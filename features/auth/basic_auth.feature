@auth
Feature: Basic Auth on the secure employee API
  GET /api/secure/employee/get/{n} is the employee API behind HTTP Basic Auth: user `hr`,
  password `hr-secret-pw`. Without valid credentials it answers 403 with a Basic challenge.
  Reports never show the password: it is redacted wherever it would appear.

  Background:
    Given address "@address"
    And URL path "/api/secure/employee/get/123"

  @smoke
  Scenario: The right credentials let the request through
    Given Basic Auth "hr" "hr-secret-pw"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/data/name" is "John Doe"
    And path "/data/department" is "HR"

  Scenario: Without credentials the request is refused with 403 and a challenge
    When the URL is invoked
    Then status is "403"
    And path "/meta/is_ok" is False
    And path "/meta/error_code" is "FORBIDDEN"
    And path "/meta/message" is "Basic Auth credentials are required"
    And header "WWW-Authenticate" is "Basic realm="demo""

  Scenario: A wrong password is refused with 403
    Given Basic Auth "hr" "not-the-password"
    When the URL is invoked
    Then status is "403"
    And path "/meta/message" is "invalid Basic Auth credentials"
