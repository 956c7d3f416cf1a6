Feature: JSON Schema, wrongly
  Every scenario must fail, listing each violation with its place in the document and schema.

  Background:
    Given address "@address"

  Scenario: a document with a wrong type, an extra key and a missing key
    Given URL path "/api/echo"
    And REST method "POST"
    And request is "{"employee_no": "123", "department": "IT", "salary": 1}"
    When the URL is invoked
    Then path "/json" matches schema "contracts/schemas/employee.json"

  Scenario: a response that is not the documented envelope
    Given URL path "/api/status/200"
    When the URL is invoked
    Then JSON response matches schema "contracts/schemas/employee_response.json"

  Scenario: a schema file that does not exist
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then JSON response matches schema "contracts/schemas/nobody.json"

  Scenario: a schema file outside the project
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data" matches schema "../schemas/employee.json"
