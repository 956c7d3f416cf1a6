@auth
Feature: Reusing the login of common/auth.feature
  The login is written once and called where a token is needed; its token and its
  `Authorization` header are there for the steps after the call.

  Scenario: A called login lets the user send an e-mail
    Given the scenario "Log in" from "common/auth.feature" is run with "user" = "alice", "password" = "alice-secret-pw"
    Given URL path "/api/email/send"
    And REST method "POST"
    And request is "{"to": "bob@example.com", "subject": "Quarterly report"}"
    When the URL is invoked
    Then status is "200"
    And path "/data/to" is "bob@example.com"
