Feature: Response headers, failing twin
  The same checks as pass/headers.feature, each expecting the opposite. Every scenario must
  fail.

  Background:
    Given address "@address"
    And URL path "/api/headers/set"
    And query string "?X-Team=Payroll&X-Empty="

  Scenario: header is, with another value
    When the URL is invoked
    Then header "X-Team" is "HR"

  Scenario: header is, on a header the response does not have
    When the URL is invoked
    Then header "X-Department" is "Payroll"

  Scenario: header is not, with the same value
    When the URL is invoked
    Then header "X-Team" is not "Payroll"

  Scenario: header isn't, on a header the response does not have
    When the URL is invoked
    Then header "X-Department" isn't "HR"

  Scenario: header contains, with text it does not contain
    When the URL is invoked
    Then header "Content-Type" contains "xml"

  Scenario: header does not contain, with text it contains
    When the URL is invoked
    Then header "Content-Type" does not contain "json"

  Scenario: header doesn't contain, with text it contains
    When the URL is invoked
    Then header "Content-Type" doesn't contain "json"

  Scenario: header starts with, with another start
    When the URL is invoked
    Then header "Content-Type" starts with "text/"

  Scenario: header does not start with, with its start
    When the URL is invoked
    Then header "Content-Type" does not start with "application/"

  Scenario: header doesn't start with, with its start
    When the URL is invoked
    Then header "Content-Type" doesn't start with "application/"

  Scenario: header ends with, with another end
    When the URL is invoked
    Then header "Content-Type" ends with "/xml"

  Scenario: header does not end with, with its end
    When the URL is invoked
    Then header "Content-Type" does not end with "/json"

  Scenario: header doesn't end with, with its end
    When the URL is invoked
    Then header "Content-Type" doesn't end with "/json"

  Scenario: header exists, on a header the response does not have
    When the URL is invoked
    Then header "X-Debug" exists

  Scenario: header does not exist, on a header the response has
    When the URL is invoked
    Then header "X-Request-Id" does not exist

  Scenario: header doesn't exist, on a header the response has
    When the URL is invoked
    Then header "X-Team" doesn't exist

  Scenario: header is empty, on a header with a value
    When the URL is invoked
    Then header "X-Team" is empty

  Scenario: header is not empty, on a header with an empty value
    When the URL is invoked
    Then header "X-Empty" is not empty
