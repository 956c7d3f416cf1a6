@employee
Feature: Create an employee
  POST /api/employee/create takes a JSON object with a name and a department and answers
  with the new employee's number; numbers of created employees start at 1000. The new
  employee can then be read back with GET /api/employee/get/{n}.

  Background:
    Given address "@address"
    And URL path "/api/employee/create"
    And REST method "POST"

  @smoke
  Scenario: An employee created from an inline JSON request can be read back by number
    Given format "JSON"
    And request is "{"name": "Mary Major", "department": "Payroll"}"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/data/employee_no" is an integer
    And I store "/data/employee_no" from response under "employee_no"

    Given REST method "GET"
    And URL path "/api/employee/get/#{employee_no}"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/data/employee_no" is "#employee_no"
    And path "/data/name" is "Mary Major"
    And path "/data/department" is "Payroll"

  Scenario: The request body can be read from a data file and changed field by field
    Given request "create_employee.json"
    And path "/department" in request is one of "Engineering, Research"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And I store "/data/employee_no" from response under "employee_no"

    Given HTTP method "GET"
    And URL path "/api/employee/get/#{employee_no}"
    When the URL is invoked
    Then path "/data/name" is "Grace Hopper"
    And path "/data/department" is one of "Engineering, Research"

  Scenario: Every kind of request setter writes the value with its JSON type
    The employee API ignores fields it does not know, so the extra fields are checked
    through /api/echo, which returns the JSON it received under `json`.

    Given URL path "/api/echo"
    And request is "{"name": "", "department": ""}"
    And path "/name" in request is "Alan Turing"
    And path "/department" in request is "Research"
    And path "/grade" in request is an integer "7"
    And path "/salary" in request is a float "4250.5"
    And path "/skills" in request is a list "maths, logic, cryptography"
    And path "/active" in request is True
    And path "/contractor" in request is False
    And I store "1000" under "manager_no"
    And path "/manager_no" in request is "#manager_no"
    When the URL is invoked
    Then status is "200"
    And path "/method" is "POST"
    And path "/headers/content-type" is "application/json"
    And path "/json/name" is "Alan Turing"
    And path "/json/grade" is an integer "7"
    And path "/json/salary" is a float "4250.5"
    And path "/json/skills" is a list "maths, logic, cryptography"
    And path "/json/active" is True
    And path "/json/contractor" is False
    And path "/json/manager_no" is "1000"

  Scenario: A request without a department is refused with 400
    Given request is "{"name": "Nobody"}"
    When the URL is invoked
    Then status is "400"
    And path "/meta/is_ok" is False
    And path "/meta/error_code" is "BAD_REQUEST"
    And path "/meta/message" is "missing required field `department`"

  Scenario: Reading an unknown employee is a business error, not an HTTP error
    Given REST method "GET"
    And URL path "/api/employee/get/999"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is False
    And path "/meta/error_code" is "HR_NOT_FOUND"
    And path "/meta/message" is "Employee 999 not found"
    And path "/meta/message" ends with "not found"
