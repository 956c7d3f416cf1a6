Feature: A scenario outline without examples

  Scenario Outline: Get employee <employee_no>
    Given address "@address"
    And URL path "/api/employee/get/<employee_no>"
    When the URL is invoked
    Then status is "200"
