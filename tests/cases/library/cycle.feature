@library
Feature: Scenarios that call each other in a circle

  Scenario: Ping
    Given the scenario "Pong" from "cycle.feature" is run

  Scenario: Pong
    Given the scenario "Ping" from "cycle.feature" is run
