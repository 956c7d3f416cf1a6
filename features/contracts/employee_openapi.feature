Feature: The Employee API keeps the promises of its OpenAPI document
  contracts/employee.yaml describes the demo API. Each scenario checks the request it builds
  and the response it gets against that document, and the run prints which operations of it
  the suite exercised (reports/coverage.json holds the same numbers).

  Background:
    Given OpenAPI spec "contracts/employee.yaml"
    And address "@address"

  Scenario: an employee is a documented answer
    Given URL path "/api/employee/get/123"
    Then request matches the OpenAPI spec
    When the URL is invoked
    Then status is "200"
    And response matches the OpenAPI spec

  Scenario: a business error is documented too
    Given URL path "/api/employee/get/999"
    When the URL is invoked
    Then path "/meta/error_code" is "HR_NOT_FOUND"
    And response matches the OpenAPI spec

  Scenario: malformed input is a documented 400
    Given URL path "/api/employee/get/abc"
    When the URL is invoked
    Then status is "400"
    And response matches the OpenAPI spec

  Scenario: the list, whole and by department
    Given URL path "/api/employee/list"
    And query string "?department=HR"
    Then request matches the OpenAPI spec
    When the URL is invoked
    Then response matches the OpenAPI spec
    And path "/data/0/department" is "HR"

  Scenario: create, update and delete keep to the contract
    Given URL path "/api/employee/create"
    And REST method "POST"
    And request is "{"name": "Ada Lovelace", "department": "R&D"}"
    Then request matches the OpenAPI spec
    When the URL is invoked
    Then response matches the OpenAPI spec
    And I store "/data/employee_no" from response under "new_no"

    Given URL path "/api/employee/update"
    And request is "{}"
    And path "/employee_no" in request is "#new_no"
    And path "/department" in request is "Research"
    Then request matches the OpenAPI spec
    When the URL is invoked
    Then response matches the OpenAPI spec
    And path "/meta/is_ok" is True

    Given URL path "/api/employee/delete"
    And request is "{}"
    And path "/employee_no" in request is "#new_no"
    Then request matches the OpenAPI spec
    When the URL is invoked
    Then response matches the OpenAPI spec
    And path "/meta/is_ok" is True

  Scenario: the secure API, with and without credentials
    Given URL path "/api/secure/employee/get/124"
    When the URL is invoked
    Then status is "403"
    And response matches the OpenAPI spec

    Given Basic Auth "hr" "hr-secret-pw"
    When the URL is invoked
    Then status is "200"
    And response matches the OpenAPI spec
