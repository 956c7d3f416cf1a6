Feature: A table row with the wrong number of cells

  Scenario Outline: Get employee <employee_no>
    Given address "@address"
    And URL path "/api/employee/get/<employee_no>"
    When the URL is invoked
    Then path "/data/name" is "<name>"

    Examples:
      | employee_no | name     |
      | 123         | John Doe |
      | 124         | Jane Roe | Payroll |
