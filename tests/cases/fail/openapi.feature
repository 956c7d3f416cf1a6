Feature: OpenAPI contract checks that fail

  Scenario: a renamed field and a wrong type in the drifted spec
    Given OpenAPI spec "contracts/employee-drifted.yaml"
    And address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then response matches the OpenAPI spec

  Scenario: a status the drifted spec does not document
    Given OpenAPI spec "contracts/employee-drifted.yaml"
    And address "@address"
    And URL path "/api/employee/get/abc"
    When the URL is invoked
    Then status is "400"
    And response matches the OpenAPI spec

  Scenario: a path the spec does not document names the closest operations
    Given OpenAPI spec "contracts/employee.yaml"
    And address "@address"
    And URL path "/api/employe/get/123"
    Then request matches the OpenAPI spec

  Scenario: a response from an undocumented path
    Given OpenAPI spec "contracts/employee.yaml"
    And address "@address"
    And URL path "/api/text"
    When the URL is invoked
    Then response matches the OpenAPI spec

  Scenario: a method the path does not document
    Given OpenAPI spec "contracts/employee.yaml"
    And address "@address"
    And URL path "/api/employee/get/123"
    And REST method "DELETE"
    Then request matches the OpenAPI spec

  Scenario: a path parameter of the wrong type
    Given OpenAPI spec "contracts/employee.yaml"
    And address "@address"
    And URL path "/api/employee/get/abc"
    Then request matches the OpenAPI spec

  Scenario: a request body that breaks the schema
    Given OpenAPI spec "contracts/employee.yaml"
    And address "@address"
    And URL path "/api/employee/create"
    And REST method "POST"
    And request is "{"name": "", "dept": "HR"}"
    Then request matches the OpenAPI spec

  Scenario: a required request body that is missing
    Given OpenAPI spec "contracts/employee.yaml"
    And address "@address"
    And URL path "/api/employee/create"
    And REST method "POST"
    Then request matches the OpenAPI spec

  Scenario: no spec is in effect
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then response matches the OpenAPI spec

  Scenario: a spec file that does not exist
    Given OpenAPI spec "contracts/nope.yaml"

  Scenario: a file that is not an OpenAPI document
    Given OpenAPI spec "contracts/schemas/employee.json"

  Scenario: the response is checked before anything was sent
    Given OpenAPI spec "contracts/employee.yaml"
    Then response matches the OpenAPI spec
