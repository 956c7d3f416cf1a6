Feature: An unclosed doc string

  Scenario: Create an employee
    Given address "@address"
    And URL path "/api/employee/create"
    And REST method "POST"
    And request is ""
      """
      {"name": "Jane Roe", "department": "HR"}
    When the URL is invoked
    Then status is "200"
