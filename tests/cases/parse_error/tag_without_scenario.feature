Feature: Tags that precede nothing

  Scenario: Get an employee
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"

  @smoke @slow
