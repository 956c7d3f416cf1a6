Feature: Regular expressions, failing twin
  The same checks as pass/regex.feature, each expecting the opposite. Every scenario must fail.

  Background:
    Given address "@address"

  Scenario: a JSON path that does not match
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data/name" matches the regex "^Jane"

  Scenario: a JSON path that is not a string
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data/employee_no" matches the regex "123"

  Scenario: a JSON path that matches where it must not
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data/name" does not match the regex "Doe$"

  Scenario: the 1.x spelling, not matching
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then JSON Pointer "/data/department" matches the regex "^Sales$"

  Scenario: the 1.x spelling, matching where it must not
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then JSON Pointer "/data/department" does not match the regex "^HR$"

  Scenario: a regex that does not compile
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data/name" matches the regex "(unclosed"

  Scenario: a variable that does not match
    Given I store "EMP-0042" under "code"
    Then variable "#code" matches the regex "^EMP-\d{5}$"

  Scenario: a variable that matches where it must not
    Given I store "EMP-0042" under "code"
    Then variable "#code" does not match the regex "^EMP"

  Scenario: an XPath that does not match
    Given URL path "/api/xml/employee/123"
    And response format "XML"
    When the URL is invoked
    Then XPath "/employee/name" matches the regex "^Jane"

  Scenario: an XPath that matches where it must not
    Given URL path "/api/xml/employee/123"
    And response format "XML"
    When the URL is invoked
    Then XPath "/employee/name" does not match the regex "John"

  Scenario: a header that does not match
    Given URL path "/api/headers/set"
    And query string "?X-Team=Payroll"
    When the URL is invoked
    Then header "X-Team" matches the regex "^HR"

  Scenario: a header that matches where it must not
    Given URL path "/api/headers/set"
    And query string "?X-Team=Payroll"
    When the URL is invoked
    Then header "X-Team" does not match the regex "^Pay"

  Scenario: a header the response does not have
    Given URL path "/api/headers/set"
    When the URL is invoked
    Then header "X-Missing" matches the regex "."
