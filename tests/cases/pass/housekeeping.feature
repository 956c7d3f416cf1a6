Feature: Housekeeping
  Steps that reset state, drop form fields, log stored values, wait, or do nothing at all.

  Scenario: Steps that do nothing pass
    Given I store "HR" under "department"
    When this step is invoked
    And this scenario is invoked
    Then I proceed further

  Scenario: Sleeping waits and then goes on
    Given I sleep for "0.2"
    And address "@address"
    And URL path "/api/status/200"
    When the URL is invoked
    Then status is "200"

  Scenario: Sleeping for zero seconds does not wait
    Given I sleep for "0"
    Then I proceed further

  Scenario: Context is logged without changing anything
    Given address "@address"
    And I store "123" under "employee"
    And URL path "/api/employee/get/#{employee}"
    When the URL is invoked
    Then context is logged
    And status is "200"

  Scenario: Context is cleaned up, and a new request starts from the defaults
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And header "X-Client" "qa-suite"
    And request is "{"name": "John Doe"}"
    When the URL is invoked
    Then path "/method" is "POST"
    And context is cleaned up
    Given address "@address"
    And URL path "/api/echo"
    When the URL is invoked
    Then path "/method" is "GET"
    And path "/body" is empty

  Scenario: Form is cleaned up, and only later fields are sent
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And form field "name" is "Jane Roe"
    And form is cleaned up
    And form field "department" is "Payroll"
    When the URL is invoked
    Then path "/form" is JSON "{"department": "Payroll"}"
