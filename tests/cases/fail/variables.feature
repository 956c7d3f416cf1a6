Feature: Stored values and references, failing twin
  The same scenarios as pass/variables.feature, with wrong expectations, and references to
  names that are not defined. Every scenario must fail.

  Scenario: A stored text read back is not the one expected
    Given address "@address"
    And I store "123" under "employee"
    And URL path "/api/echo/employee/#{employee}"
    When the URL is invoked
    Then path "/path" is "/api/echo/employee/124"

  Scenario: A variable that was never stored
    Given address "@address"
    And URL path "/api/employee/get/#{employee_no}"

  Scenario: A whole-argument variable that was never stored
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then path "/data/employee_no" is "#employee_no"

  Scenario: A value stored from the response is compared with a string of the same digits
    Given address "@address"
    And URL path "/api/employee/get/123"
    And I store "123" under "expected_no"
    When the URL is invoked
    Then I store "/data/employee_no" from response under "employee_no"
    And path "/data/employee_no" is "#expected_no"

  Scenario: A stored object is compared with another object
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "/data" from response under "employee"
    Given URL path "/api/employee/get/124"
    When the URL is invoked
    Then path "/data" is "#employee"

  Scenario: A path that is not in the response cannot be stored without a default
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "/data/nickname" from response under "nickname"

  Scenario: A default does not hide a path that is not a JSON Pointer
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "data/nickname" from response under "nickname", default "none"

  Scenario: Storing from the response before the URL is invoked
    Given address "@address"
    And URL path "/api/employee/get/123"
    Then I store "/data/name" from response under "name", default "none"

  Scenario: A config key that is not defined
    Given address "@address"
    And Basic Auth "hr" "@hr_password"

  Scenario: A config key inside other text that is not defined
    Given address "@{address}"
    And URL path "@{api_prefix}/employee/get/123"

  Scenario: An environment variable that is not set
    Given address "@address"
    And URL path "/api/echo"
    And header "X-Token" "$ENV_VAR_THAT_DOES_NOT_EXIST"

  Scenario: An environment variable inside other text that is not set
    Given address "@address"
    And URL path "/api/echo"
    And query string "?home=${ENV_VAR_THAT_DOES_NOT_EXIST}"

  Scenario: A sigil without the backslash is read as a reference
    Given address "@address"
    And URL path "/api/echo"
    And header "X-Tag" "\#smoke"
    When the URL is invoked
    Then path "/headers/x-tag" is "#smoke"
