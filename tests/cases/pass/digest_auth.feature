Feature: Digest Auth
  The demo's /api/secure/digest asks for HTTP Digest Auth (MD5, qop=auth) as user hr.

  Background:
    Given address "@address"
    And URL path "/api/secure/digest"

  Scenario: the challenge is answered
    Given Digest Auth "hr" "hr-secret-pw"
    When the URL is invoked
    Then status is "200"
    And path "/data/scheme" is "Digest"
    And path "/data/user" is "hr"

  Scenario: without credentials the server challenges
    When the URL is invoked
    Then status is "401"
    And header "WWW-Authenticate" starts with "Digest realm="

  Scenario: a query string is part of what is signed
    Given Digest Auth "hr" "hr-secret-pw"
    And query string "?page=2"
    When the URL is invoked
    Then status is "200"
