@library
Feature: Steps other cases call
  Never run on its own (@library): the call cases run these scenarios inside their own.

  Background:
    Given address "@address"

  Scenario: Log in
    Given URL path "/api/login"
    And REST method "POST"
    And request is "{"username": "#{user}", "password": "#{password}"}"
    When the URL is invoked
    Then status is "200"
    And I store "/data/token" from response under "token"
    And header "Authorization" "Bearer #{token}"

  Scenario: Start a session
    Given URL path "/api/headers/set"
    And REST method "GET"
    And query string "?Set-Cookie=sid%3Dabc123%3B%20Path%3D%2F"
    When the URL is invoked
    Then cookie "sid" is "abc123"
    And query string ""

  Scenario: Log in and start a session
    Given the scenario "Log in" from "library/session.feature" is run
    And the scenario "Start a session" from "session.feature" is run
    And I store "yes" under "session_started"

  Scenario: Expect a session
    Then cookie "sid" is "abc123"
