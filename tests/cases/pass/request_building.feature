Feature: Building the request
  Every request-building step changes what the server receives, as /api/echo reports it.

  Background:
    Given address "@address"

  Scenario: Address, URL path, method and query string make the URL
    Given URL path "/api/echo/employee"
    And REST method "PATCH"
    And query string "?department=HR&page=2"
    When the URL is invoked
    Then path "/method" is "PATCH"
    And path "/path" is "/api/echo/employee"
    And path "/query" is "department=HR&page=2"
    And path "/args/page" is "2"

  Scenario: HTTP method is the same as REST method
    Given URL path "/api/echo"
    And HTTP method "PUT"
    When the URL is invoked
    Then path "/method" is "PUT"

  Scenario: Headers and the user agent are sent
    Given URL path "/api/echo"
    And header "X-Client" "qa-suite"
    And user agent is "qa-bot/1.0"
    When the URL is invoked
    Then path "/headers/x-client" is "qa-suite"
    And path "/headers/user-agent" is "qa-bot/1.0"

  Scenario: An inline JSON request is sent as JSON
    Given URL path "/api/echo"
    And REST method "POST"
    And format "JSON"
    And request is "{"name": "Jane Roe"}"
    When the URL is invoked
    Then path "/headers/content-type" is "application/json"
    And path "/json/name" is "Jane Roe"

  Scenario: Request setters write each JSON type
    Given URL path "/api/echo"
    And REST method "POST"
    And request format "JSON"
    And request is "{}"
    And path "/name" in request is "Jane Roe"
    And path "/employee_no" in request is an integer "123"
    And path "/salary" in request is a float "1234.5"
    And path "/tags" in request is a list "a, b, c"
    And path "/active" in request is True
    And path "/archived" in request is False
    And path "/department" in request is one of "HR, Payroll"
    When the URL is invoked
    Then path "/json/name" is "Jane Roe"
    And path "/json/employee_no" is an integer "123"
    And path "/json/salary" is a float "1234.5"
    And path "/json/tags" is a list "a, b, c"
    And path "/json/active" is True
    And path "/json/archived" is False
    And path "/json/department" is one of "HR, Payroll"

  Scenario: A stored value set in the request keeps its type
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "/data/employee_no" from response under "employee_no"
    Given URL path "/api/echo"
    And REST method "POST"
    And request is "{"employee_no": 0}"
    And path "/employee_no" in request is "#employee_no"
    When the URL is invoked
    Then path "/json/employee_no" is an integer "123"

  Scenario: A request body is read from a data file
    Given URL path "/api/echo"
    And REST method "POST"
    And request "create_employee.json"
    When the URL is invoked
    Then path "/headers/content-type" is "application/json"
    And path "/json/name" is "Grace Hopper"

  Scenario: A RAW request is sent as written
    Given URL path "/api/echo"
    And REST method "POST"
    And format "RAW"
    And request is "name=John Doe; department=HR"
    When the URL is invoked
    Then path "/body" is "name=John Doe; department=HR"
    And path "/json" is null

  Scenario: Form fields are sent URL-encoded
    Given URL path "/api/echo"
    And REST method "POST"
    And form field "name" is "Jane Roe"
    And form field "tag" is "a"
    And form field "tag" is "b"
    When the URL is invoked
    Then path "/form/name" is "Jane Roe"
    And path "/form/tag" is a list "a, b"
