@variables
Feature: Stored values and housekeeping
  `I store` keeps a value (text, or a value read from the response with its JSON type) under
  a name, read later as `#name`, or inside longer text as `#{name}`. Housekeeping steps
  reset the request, drop form fields, log the stored values (shown with `-v`) or do nothing.

  Background:
    Given address "@address"

  Scenario: A value read from the response keeps its type
    Given URL path "/api/employee/get/124"
    When the URL is invoked
    Then I store "/data/employee_no" from response under "employee_no"
    And I store "/data/name" from response under "name"
    And path "/data/employee_no" is "#employee_no"
    And path "/data/name" is "#name"
    And context is logged

  Scenario: A path that is not in the response stores the default instead
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "/data/nickname" from response under "nickname", default "none"
    And I store "/data/name" from response under "name", default "unknown"

    Given URL path "/api/echo"
    And query string "?nickname=#{nickname}&name=#{name}"
    When the URL is invoked
    Then path "/args/nickname" is "none"
    And path "/args/name" is "John Doe"

  Scenario: Stored text can be used in the URL, the query string and headers
    Given I store "123" under "employee"
    And I store "HR" under "department"
    And URL path "/api/echo/employee/#{employee}"
    And query string "?department=#{department}"
    And header "X-Department" "#department"
    When the URL is invoked
    Then path "/path" is "/api/echo/employee/123"
    And path "/query" is "department=HR"
    And path "/headers/x-department" is "HR"

  Scenario: Cleaning up the context forgets the request built so far
    Given URL path "/api/employee/get/123"
    And REST method "POST"
    And user agent is "qa-suite/2.0"
    And request is "{"name": "John Doe"}"
    Then context is cleaned up

    Given address "@address"
    And URL path "/api/echo"
    When the URL is invoked
    Then path "/method" is "GET"
    And path "/body" is empty
    And path "/headers/user-agent" starts with "apitest/"

  Scenario: Steps that do nothing keep a scenario readable
    Given I store "Payroll" under "department"
    When this step is invoked
    And this scenario is invoked
    Then I proceed further
