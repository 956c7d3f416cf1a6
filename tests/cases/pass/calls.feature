Feature: Calling a scenario of another file
  The called scenario's steps run in this scenario's World: the variables they store, the
  cookies the API sets and the headers they add are there for the next steps.

  Scenario: the called login leaves its token and header behind
    Given the scenario "Log in" from "library/session.feature" is run with "user" = "alice", "password" = "alice-secret-pw"
    Then variable "#token" is any string
    Given URL path "/api/echo"
    And REST method "GET"
    When the URL is invoked
    Then path "/headers/authorization" is "Bearer #{token}"

  Scenario: a called session's cookie is sent by the caller
    Given the scenario "Start a session" from "library/session.feature" is run
    Given URL path "/api/echo"
    When the URL is invoked
    Then path "/headers/cookie" is "sid=abc123"

  Scenario: parameters may refer to variables, and calls nest
    Given I store "alice" under "name"
    And I store "alice-secret-pw" under "secret"
    And the scenario "Log in and start a session" from "library/session.feature" is run with "user" = "#name", "password" = "#{secret}"
    Then variable "#session_started" is a string "yes"
    And variable "#user" is a string "alice"
    Given URL path "/api/echo"
    When the URL is invoked
    Then path "/headers/cookie" is "sid=abc123"
    And path "/headers/authorization" starts with "Bearer "

  Scenario: the same scenario called twice runs twice
    Given the scenario "Start a session" from "library/session.feature" is run
    And cookies are cleared
    And the scenario "Start a session" from "library/session.feature" is run
    Then cookie "sid" is "abc123"
