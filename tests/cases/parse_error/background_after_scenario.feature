Feature: A background after the first scenario

  Scenario: Get an employee
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"

  Background:
    Given address "@address"
