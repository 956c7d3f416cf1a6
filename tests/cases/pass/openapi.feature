Feature: OpenAPI contract checks that hold

  Scenario: a 3.1 YAML spec: request and response match
    Given OpenAPI spec "contracts/employee.yaml"
    And address "@address"
    And URL path "/api/employee/get/123"
    Then request matches the OpenAPI spec
    When the URL is invoked
    Then response matches the OpenAPI spec
    And request matches the OpenAPI spec

  Scenario: a 3.0 JSON spec with a server base path, a 4XX range and nullable
    Given OpenAPI spec "tests/contracts/employee-3.0.json"
    And address "@address"
    And URL path "/api/employee/get/124"
    When the URL is invoked
    Then response matches the OpenAPI spec
    Given URL path "/api/employee/get/x"
    When the URL is invoked
    Then status is "400"
    And response matches the OpenAPI spec

  Scenario: a documented query parameter and a default response
    Given OpenAPI spec "tests/contracts/employee-3.0.json"
    And address "@address"
    And URL path "/api/employee/list"
    And query string "?department=Payroll"
    Then request matches the OpenAPI spec
    When the URL is invoked
    Then response matches the OpenAPI spec

  Scenario: a JSON request body built step by step
    Given OpenAPI spec "contracts/employee.yaml"
    And address "@address"
    And URL path "/api/employee/create"
    And REST method "POST"
    And request is "{}"
    And path "/name" in request is "Grace Hopper"
    And path "/department" in request is "Navy"
    Then request matches the OpenAPI spec
