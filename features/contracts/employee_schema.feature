Feature: The Employee API answers as its JSON Schemas say
  Responses checked against JSON Schema files in contracts/schemas/.

  Scenario: an employee and its envelope are valid
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then JSON response matches schema "contracts/schemas/employee_response.json"
    And path "/data" matches schema "contracts/schemas/employee.json"

  Scenario: a business error is a valid envelope too
    Given address "@address"
    And URL path "/api/employee/get/999"
    When the URL is invoked
    Then JSON response matches schema "contracts/schemas/employee_response.json"
