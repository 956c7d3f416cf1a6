Feature: Calls that fail
  Each scenario fails; a failure inside a called scenario shows the called step in its own
  file and the line of the call.

  Scenario: a check inside the called scenario fails
    Given the scenario "Log in" from "library/session.feature" is run with "user" = "alice", "password" = "wrong-pw"
    Then variable "#token" is any string

  Scenario: a failure two calls down names both calls
    Given the scenario "Log in and start a session" from "library/session.feature" is run with "user" = "mallory", "password" = "guess"

  Scenario: the called scenario checks what the caller did not do
    Given address "@address"
    And the scenario "Expect a session" from "library/session.feature" is run

  Scenario: a scenario the file does not have
    Given the scenario "Log out" from "library/session.feature" is run

  Scenario: a file that is not there
    Given the scenario "Log in" from "library/nowhere.feature" is run

  Scenario: calls in a circle are refused before anything is sent
    Given the scenario "Ping" from "library/cycle.feature" is run

  Scenario: parameters written wrong
    Given the scenario "Log in" from "library/session.feature" is run with "user" "alice"

  Scenario: a parameter that refers to nothing
    Given the scenario "Log in" from "library/session.feature" is run with "user" = "#nobody", "password" = "x"
