Feature: A misspelled keyword

  Sceanrio: Get an employee
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"
