Feature: Regular expressions
  `matches the regex` and `does not match the regex`, on every subject a check measures: a JSON
  path, a variable, an XPath and a header.

  Background:
    Given address "@address"

  Scenario: a JSON path matches a regex
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data/name" matches the regex "^[A-Z][a-z]+ [A-Z][a-z]+$"
    And path "/data/name" matches the regex "Doe"
    And path "/meta/cid" matches the regex "^[0-9a-f]{32}$"
    And path "/data/name" does not match the regex "^\s"
    And path "/data/employee_no" does not match the regex "123"
    And JSON Pointer "/data/department" matches the regex "^(HR|Payroll)$"
    And JSON Pointer "/data/department" does not match the regex "^Sales$"

  Scenario: a variable matches a regex
    Given I store "EMP-0042" under "code"
    Then variable "#code" matches the regex "^EMP-\d{4}$"
    And variable "#code" does not match the regex "^emp"

  Scenario: an XPath matches a regex
    Given URL path "/api/xml/employee/123"
    And response format "XML"
    When the URL is invoked
    Then XPath "/employee/name" matches the regex "^John"
    And XPath "/employee/name" does not match the regex "^Jane"

  Scenario: a header matches a regex
    Given URL path "/api/headers/set"
    And query string "?X-Team=Payroll"
    When the URL is invoked
    Then header "X-Team" matches the regex "^Pay"
    And header "Content-Type" matches the regex "^application/json"
    And header "X-Team" does not match the regex "HR"
