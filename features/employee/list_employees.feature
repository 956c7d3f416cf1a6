@employee
Feature: List employees
  GET /api/employee/list returns every employee ordered by number, or only those of one
  department when the query string says `?department=...`. Employees 123 (John Doe, HR) and
  124 (Jane Roe, Payroll) always exist.

  Background:
    Given address "@address"
    And URL path "/api/employee/list"

  @smoke
  Scenario: The full list holds the seeded employees in number order
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/data" is a list
    And path "/data" is not an empty list
    And path "/data/0" is an object
    And path "/data/0/employee_no" is an integer "123"
    And path "/data/0/name" is "John Doe"
    And path "/data/1/employee_no" is an integer "124"
    And path "/data/1/name" is "Jane Roe"
    And path "/data/1/department" is one of "HR, Payroll"
    And path "/data/1/department" is not one of "Sales, Legal"

  Scenario: The department filter keeps only that department
    No feature here creates anyone in HR, so the HR list holds John Doe alone.

    Given query string "?department=HR"
    When the URL is invoked
    Then status is "200"
    And path "/data" is JSON "[{"employee_no": 123, "name": "John Doe", "department": "HR"}]"
    And path "/data/0/name" is not a string "Jane Roe"
    And path "/data/0/name" starts with "John"
    And path "/data/0/name" ends with "Doe"
    And path "/data/0/name" starts with any of "Jack, John, Jill"

  Scenario: A department nobody works in gives an empty list
    Given query string "?department=Nowhere"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/data" is an empty list

  Scenario: Employee numbers can be checked as members of a list
    The seeded numbers are collected through /api/echo, which echoes the JSON it receives.

    Given URL path "/api/echo"
    And REST method "POST"
    And request is "{"employee_numbers": [123, 124], "departments": ["HR", "Payroll"]}"
    When the URL is invoked
    Then path "/json/employee_numbers" contains "123"
    And path "/json/employee_numbers" contains "124"
    And path "/json/departments" contains ""Payroll""
    And path "/json/departments" is a list "HR, Payroll"
