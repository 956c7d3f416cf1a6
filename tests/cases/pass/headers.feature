Feature: Response headers
  Every response-header check, on headers set through /api/headers/set?Name=Value. Header
  names are matched in any letter case.

  Background:
    Given address "@address"
    And URL path "/api/headers/set"
    And query string "?X-Team=Payroll&X-Empty="

  Scenario: header is
    When the URL is invoked
    Then header "X-Team" is "Payroll"

  Scenario: header is matched in any letter case
    When the URL is invoked
    Then header "x-team" is "Payroll"

  Scenario: header is not
    When the URL is invoked
    Then header "X-Team" is not "HR"

  Scenario: header isn't
    When the URL is invoked
    Then header "X-Team" isn't "HR"

  Scenario: header contains
    When the URL is invoked
    Then header "Content-Type" contains "json"

  Scenario: header does not contain
    When the URL is invoked
    Then header "Content-Type" does not contain "xml"

  Scenario: header doesn't contain
    When the URL is invoked
    Then header "Content-Type" doesn't contain "xml"

  Scenario: header starts with
    When the URL is invoked
    Then header "Content-Type" starts with "application/"

  Scenario: header does not start with
    When the URL is invoked
    Then header "Content-Type" does not start with "text/"

  Scenario: header doesn't start with
    When the URL is invoked
    Then header "Content-Type" doesn't start with "text/"

  Scenario: header ends with
    When the URL is invoked
    Then header "Content-Type" ends with "/json"

  Scenario: header does not end with
    When the URL is invoked
    Then header "Content-Type" does not end with "/xml"

  Scenario: header doesn't end with
    When the URL is invoked
    Then header "Content-Type" doesn't end with "/xml"

  Scenario: header exists
    When the URL is invoked
    Then header "X-Request-Id" exists

  Scenario: header does not exist
    When the URL is invoked
    Then header "X-Debug" does not exist

  Scenario: header doesn't exist
    When the URL is invoked
    Then header "X-Debug" doesn't exist

  Scenario: header is empty
    When the URL is invoked
    Then header "X-Empty" is empty

  Scenario: header is not empty
    When the URL is invoked
    Then header "X-Team" is not empty
