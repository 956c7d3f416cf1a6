Feature: The Employee API keeps its shape
  A quick contract without a schema file: markers check types and patterns.

  Background:
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked

  Scenario: the envelope and the employee have the documented shape
    Then JSON response matches "{"meta": {"cid": "#regex [0-9a-f]{32}", "is_ok": true, "timestamp": "#date"}, "data": "#object"}"
    And JSON response matches exactly
      """
      {
        "meta": {"cid": "#string", "is_ok": "#boolean", "timestamp": "#string", "error_code": "#notpresent"},
        "data": {"employee_no": "#integer", "name": "#string", "department": "#regex HR|Payroll", "manager": "##string"}
      }
      """
    And path "/data" matches "{"employee_no": 123, "name": "#notnull", "email": "#ignore"}"
    And path "/data" matches exactly "{"employee_no": "#number", "name": "#present", "department": "#string"}"

  Scenario: every item of a list
    Given URL path "/api/employee/list"
    When the URL is invoked
    Then path "/data" matches "#[] {"employee_no": "#integer", "name": "#string", "department": "#string"}"
    And JSON response matches
      """
      {"data": "#[] #object", "meta": {"cid": "#uuid"}}
      """
