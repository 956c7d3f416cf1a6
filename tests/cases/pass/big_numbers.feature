Feature: Numbers beyond f64 and i64
  A JSON body with a number too large for f64 or i64 is still JSON: the number keeps its
  literal text and every other path can be checked.
  Scenario: A number beyond f64 keeps the rest of the body readable
    Given address "@address"
    Given URL path "/api/echo"
    Given REST method "POST"
    Given format "RAW"
    Given header "Content-Type" "application/json"
    Given request is "{"big": 1e400, "huge": 123456789012345678901234567890, "name": "x"}"
    When the URL is invoked
    Then status is "200"
    And path "/json/name" is "x"
    And path "/json/huge" is a number
