Feature: Stored values and references
  `#name` reads a stored value with its type, `@key` a config value, `$NAME` an environment
  variable; inside longer text they are written `#{name}`, `@{key}` and `${NAME}`. A leading
  backslash keeps `#`, `@` or `$` as a literal character.

  Scenario: A stored text is read back whole and inside other text
    Given address "@address"
    And I store "123" under "employee"
    And URL path "/api/echo/employee/#{employee}"
    And header "X-Employee" "#employee"
    When the URL is invoked
    Then path "/path" is "/api/echo/employee/123"
    And path "/headers/x-employee" is "#employee"

  Scenario: A value stored from the response keeps its type
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "/data/employee_no" from response under "employee_no"
    And path "/data/employee_no" is "#employee_no"

  Scenario: A stored object is compared whole
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "/data" from response under "employee"
    And path "/data" is "#employee"

  Scenario: A missing path stores the default
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "/data/nickname" from response under "nickname", default "none"
    Given URL path "/api/echo"
    And query string "?nickname=#{nickname}"
    When the URL is invoked
    Then path "/args/nickname" is "none"

  Scenario: A present path ignores the default
    Given address "@address"
    And URL path "/api/employee/get/123"
    When the URL is invoked
    Then I store "/data/name" from response under "name", default "none"
    And path "/data/name" is "#name"

  Scenario: A stored value can be stored again under another name
    Given I store "HR" under "department"
    And I store "#department" under "team"
    And address "@address"
    And URL path "/api/echo"
    And query string "?team=#{team}"
    When the URL is invoked
    Then path "/args/team" is "HR"

  Scenario: A config value is read whole and inside other text
    Given address "@{address}/"
    And URL path "/api/echo"
    And header "X-Address" "@address"
    When the URL is invoked
    Then path "/headers/x-address" starts with "http://"
    And path "/headers/x-address" is "@address"

  Scenario: An environment variable is read whole and inside other text
    Given address "@address"
    And URL path "/api/echo"
    And header "X-Home" "$HOME"
    And header "X-Home-Twice" "${HOME}|${HOME}"
    When the URL is invoked
    Then path "/headers/x-home" is "$HOME"
    And path "/headers/x-home-twice" is "${HOME}|${HOME}"

  Scenario: A leading backslash keeps a literal sigil
    Given address "@address"
    And URL path "/api/echo"
    And header "X-Tag" "\#smoke"
    And header "X-Mail" "\@example"
    When the URL is invoked
    Then path "/headers/x-tag" is "\#smoke"
    And path "/headers/x-mail" is "\@example"
    And path "/headers/x-mail" starts with "@"
