Feature: Employees

  Scenario: Get an employee
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"

Feature: Departments

  Scenario: List employees
    Given address "@address"
    And URL path "/api/employee/list"
    When the URL is invoked
    Then status is "200"
