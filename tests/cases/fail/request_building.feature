Feature: Building the request, failing twin
  The same requests as pass/request_building.feature, with wrong expectations, and the
  request-building mistakes a tester can make. Every scenario must fail.

  Background:
    Given address "@address"

  Scenario: The echoed query string is not the one expected
    Given URL path "/api/echo/employee"
    And REST method "PATCH"
    And query string "?department=HR&page=2"
    When the URL is invoked
    Then path "/query" is "department=Payroll&page=2"

  Scenario: The echoed method is not the one expected
    Given URL path "/api/echo"
    And HTTP method "PUT"
    When the URL is invoked
    Then path "/method" is "POST"

  Scenario: A method name with a space is refused
    Given URL path "/api/echo"
    And REST method "GE T"

  Scenario: A header name with a space is refused
    Given URL path "/api/echo"
    And header "X Client" "qa-suite"

  Scenario: The echoed user agent is not the one expected
    Given URL path "/api/echo"
    And header "X-Client" "qa-suite"
    And user agent is "qa-bot/1.0"
    When the URL is invoked
    Then path "/headers/user-agent" is "qa-bot/2.0"

  Scenario: An unknown format is refused
    Given format "YAML"

  Scenario: Invalid JSON in an inline request is refused when the format is JSON
    Given URL path "/api/echo"
    And REST method "POST"
    And format "JSON"
    And request is "{"name": 'Jane Roe'}"

  Scenario: A setter with a path that is not a JSON Pointer is refused
    Given request is "{}"
    And path "name" in request is "Jane Roe"

  Scenario: A setter whose parent object does not exist is refused
    Given request is "{"name": "Jane Roe"}"
    And path "/address/city" in request is "Gdansk"

  Scenario: A setter before any request body is refused
    Given path "/name" in request is "Jane Roe"

  Scenario: A setter on a RAW body is refused
    Given format "RAW"
    And request is "name=Jane"
    And path "/name" in request is "Jane Roe"

  Scenario: An integer setter with a value that is not an integer is refused
    Given request is "{}"
    And path "/employee_no" in request is an integer "12.5"

  Scenario: A float setter with a value that is not a number is refused
    Given request is "{}"
    And path "/salary" in request is a float "a lot"

  Scenario: A value set in the request is not the one expected
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
    Then path "/json/tags" is a list "a, b"

  Scenario: A one-of setter with no values is refused
    Given request is "{}"
    And path "/department" in request is one of ""

  Scenario: The echoed type of a set value is not the one expected
    Given URL path "/api/echo"
    And REST method "POST"
    And request format "JSON"
    And request is "{}"
    And path "/employee_no" in request is an integer "123"
    When the URL is invoked
    Then path "/json/employee_no" is "123"

  Scenario: A stored value set in the request is not the one expected
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "/data/employee_no" from response under "employee_no"
    Given URL path "/api/echo"
    And REST method "POST"
    And request is "{"employee_no": 0}"
    And path "/employee_no" in request is "#employee_no"
    When the URL is invoked
    Then path "/json/employee_no" is an integer "124"

  Scenario: A data file that does not exist is reported with the places looked at
    Given URL path "/api/echo"
    And REST method "POST"
    And request "no_such_employee.json"

  Scenario: A data file path that climbs out of the project is refused
    Given URL path "/api/echo"
    And REST method "POST"
    And request "../../Cargo.toml"

  Scenario: The echoed data file body is not the one expected
    Given URL path "/api/echo"
    And REST method "POST"
    And request "create_employee.json"
    When the URL is invoked
    Then path "/json/name" is "Ada Lovelace"

  Scenario: The echoed RAW body is not the one expected
    Given URL path "/api/echo"
    And REST method "POST"
    And format "RAW"
    And request is "name=John Doe; department=HR"
    When the URL is invoked
    Then path "/body" is "name=John Doe"

  Scenario: The echoed form fields are not the ones expected
    Given URL path "/api/echo"
    And REST method "POST"
    And form field "name" is "Jane Roe"
    And form field "tag" is "a"
    And form field "tag" is "b"
    When the URL is invoked
    Then path "/form/tag" is a list "a, b, c"
