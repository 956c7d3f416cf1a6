Feature: Digest Auth, failing twin

  Background:
    Given address "@address"
    And URL path "/api/secure/digest"

  Scenario: a wrong password is refused
    Given Digest Auth "hr" "not-the-password"
    When the URL is invoked
    Then status is "200"

  Scenario: Basic Auth is not Digest Auth
    Given Basic Auth "hr" "hr-secret-pw"
    When the URL is invoked
    Then status is "200"
