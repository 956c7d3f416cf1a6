@library
Feature: Shared sign-in steps
  Written once, run by every scenario that needs them:
  `Given the scenario "Log in" from "common/auth.feature" is run with "user" = "...", "password" = "..."`.
  Tagged @library, these scenarios never run on their own.

  Background:
    Given address "@address"

  Scenario: Log in
    Given URL path "/api/login"
    And REST method "POST"
    And request is "{"username": "#{user}", "password": "#{password}"}"
    When the URL is invoked
    Then status is "200"
    And path "/data/token_type" is "Bearer"
    And I store "/data/token" from response under "token"
    And header "Authorization" "Bearer #{token}"
