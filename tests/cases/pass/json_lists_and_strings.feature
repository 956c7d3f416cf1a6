Feature: JSON lists, strings and empty values
  Checks on emptiness, membership and the start and end of strings. /api/echo returns the
  JSON it received under `json`.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request is "{"name": "John Doe", "department": "HR", "blank": "", "none": null, "tags": ["manager", "mentor"], "grades": [340, 7.5], "no_tags": [], "extra": {}}"

  Scenario: is empty
    When the URL is invoked
    Then path "/json/blank" is empty

  Scenario: is not empty
    When the URL is invoked
    Then path "/json/name" is not empty

  Scenario: is an empty list
    When the URL is invoked
    Then path "/json/no_tags" is an empty list

  Scenario: is an empty dict
    When the URL is invoked
    Then path "/json/extra" is an empty dict

  Scenario: is not an empty list
    When the URL is invoked
    Then path "/json/tags" is not an empty list

  Scenario: is one of
    When the URL is invoked
    Then path "/json/department" is one of "HR, Payroll"

  Scenario: is not one of
    When the URL is invoked
    Then path "/json/department" is not one of "Sales, Legal"

  Scenario: starts with
    When the URL is invoked
    Then path "/json/name" starts with "John"

  Scenario: ends with
    When the URL is invoked
    Then path "/json/name" ends with "Doe"

  Scenario: starts with any of
    When the URL is invoked
    Then path "/json/name" starts with any of "Jane, John"

  Scenario: contains a string
    When the URL is invoked
    Then path "/json/tags" contains ""mentor""

  Scenario: contains a number
    When the URL is invoked
    Then path "/json/grades" contains "340"

  Scenario: contains a number, compared by value
    When the URL is invoked
    Then path "/json/grades" contains "7.50"
