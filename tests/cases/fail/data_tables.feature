Feature: Data tables under steps
  A table under a step that reads none is refused rather than ignored.

  Scenario: a table under a request step
    Given address "@address"
    And URL path "/api/employee/get/123"
    And header "X-Team" "payroll"
      | name   | value   |
      | X-Team | payroll |
    When the URL is invoked
    Then status is "200"

  Scenario: a table under a check
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then status is "200"
      | path       | is       |
      | /data/name | John Doe |
