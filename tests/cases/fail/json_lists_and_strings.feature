Feature: JSON lists, strings and empty values, failing twin
  The same checks as pass/json_lists_and_strings.feature, on values that do not satisfy them.
  Every scenario must fail.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request is "{"name": "John Doe", "department": "HR", "blank": "", "none": null, "tags": ["manager", "mentor"], "grades": [340, 7.5], "no_tags": [], "extra": {}}"

  Scenario: is empty, on a string with text
    When the URL is invoked
    Then path "/json/name" is empty

  Scenario: is empty, on an empty list
    When the URL is invoked
    Then path "/json/no_tags" is empty

  Scenario: is not empty, on an empty string
    When the URL is invoked
    Then path "/json/blank" is not empty

  Scenario: is not empty, on null
    When the URL is invoked
    Then path "/json/none" is not empty

  Scenario: is an empty list, on a list with items
    When the URL is invoked
    Then path "/json/tags" is an empty list

  Scenario: is an empty dict, on an empty list
    When the URL is invoked
    Then path "/json/no_tags" is an empty dict

  Scenario: is not an empty list, on an empty list
    When the URL is invoked
    Then path "/json/no_tags" is not an empty list

  Scenario: is not an empty list, on a string
    When the URL is invoked
    Then path "/json/name" is not an empty list

  Scenario: is one of, with the value not in the list
    When the URL is invoked
    Then path "/json/department" is one of "Sales, Payroll"

  Scenario: is not one of, with the value in the list
    When the URL is invoked
    Then path "/json/department" is not one of "HR, Payroll"

  Scenario: starts with, with another start
    When the URL is invoked
    Then path "/json/name" starts with "Jane"

  Scenario: starts with, on a list
    When the URL is invoked
    Then path "/json/tags" starts with "manager"

  Scenario: ends with, with another end
    When the URL is invoked
    Then path "/json/name" ends with "Roe"

  Scenario: starts with any of, with none of the starts
    When the URL is invoked
    Then path "/json/name" starts with any of "Jane, Jack"

  Scenario: contains, with a string not in the list
    When the URL is invoked
    Then path "/json/tags" contains ""intern""

  Scenario: contains, with a number written as a string
    When the URL is invoked
    Then path "/json/grades" contains ""340""

  Scenario: contains, with an element that is not JSON
    When the URL is invoked
    Then path "/json/tags" contains "mentor"

  Scenario: contains, on a string
    When the URL is invoked
    Then path "/json/name" contains ""John""
