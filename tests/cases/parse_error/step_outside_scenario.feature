Feature: A step outside a scenario
  Given address "@address"

  Scenario: Get an employee
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"
