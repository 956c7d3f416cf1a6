Feature: XML with XPath, wrongly
  Every scenario must fail.

  Background:
    Given address "@address"
    And URL path "/api/xml/employee/123"
    And response format "XML"

  Scenario: a wrong text
    When the URL is invoked
    Then XPath "/employee/name" is "Jane Roe"

  Scenario: a wrong integer
    When the URL is invoked
    Then XPath "/employee/employee_no" is an integer "124"

  Scenario: text is not an integer
    When the URL is invoked
    Then XPath "/employee/name" is any integer

  Scenario: a path that selects nothing
    When the URL is invoked
    Then XPath "/employee/manager" is "x"

  Scenario: a node that should not exist
    When the URL is invoked
    Then XPath "/employee/name" does not exist

  Scenario: a node that should exist
    When the URL is invoked
    Then XPath "/employee/manager" exists

  Scenario: an invalid XPath
    When the URL is invoked
    Then XPath "/employee/[" is "x"

  Scenario: a function XPath 1.0 does not have
    When the URL is invoked
    Then XPath "string-join(/employee/*, ',')" is "x"

  Scenario: XPath on a JSON response
    Given URL path "/api/employee/get/123"
    When the URL is invoked
    Then XPath "/employee/name" is "John Doe"

  Scenario: setting a node the request does not have
    Given format "XML"
    And request is "<employee><name>x</name></employee>"
    And XPath "/employee/manager" in request is "y"

  Scenario: setting XPath on a request with no XML body
    Given XPath "/employee/name" in request is "y"

  Scenario: a prefix that was never registered
    When the URL is invoked
    Then XPath "/emp:employee/emp:name" is "John Doe"

  Scenario: a namespace prefix bound to the wrong URI
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And namespace prefix "emp" of "http://example.com/not-employee"
    And request "soap_get_employee.xml"
    When the URL is invoked
    Then XPath "//emp:GetEmployee/emp:employee_no" exists

  Scenario: the SOAP action is sent quoted, as SOAP 1.1 requires
    Given URL path "/api/echo"
    And SOAP action "urn:get-employee"
    When the URL is invoked
    Then path "/headers/soapaction" is "urn:get-employee"

  Scenario: XPath setters that set other values than checked
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<e><no>0</no><salary>0</salary><active>x</active><off>x</off><dept/></e>"
    And XPath "/e/no" in request is an integer "7"
    And XPath "/e/salary" in request is a float "2.5"
    And XPath "/e/active" in request is True
    And XPath "/e/off" in request is False
    And XPath "/e/dept" in request is one of "HR"
    When the URL is invoked
    Then XPath "/e/dept" is "Payroll"

  Scenario: an XPath integer setter that set something else
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<e><no>0</no></e>"
    And XPath "/e/no" in request is an integer "7"
    When the URL is invoked
    Then XPath "/e/no" is an integer "8"

  Scenario: an XPath float setter that set something else
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<e><salary>0</salary></e>"
    And XPath "/e/salary" in request is a float "2.5"
    When the URL is invoked
    Then XPath "/e/salary" is a float "3.5"

  Scenario: an XPath True setter, checked as False
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<e><active>x</active></e>"
    And XPath "/e/active" in request is True
    When the URL is invoked
    Then XPath "/e/active" is False

  Scenario: an XPath False setter, checked as True
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<e><active>x</active></e>"
    And XPath "/e/active" in request is False
    When the URL is invoked
    Then XPath "/e/active" is True

  Scenario: an XPath one-of setter, checked against other values
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<e><dept/></e>"
    And XPath "/e/dept" in request is one of "HR"
    When the URL is invoked
    Then XPath "/e/dept" is one of "Sales, Legal"

  Scenario: XPath random setters need the node in the request
    Given format "XML"
    And request is "<e/>"
    And XPath "/e/tag" in request is a random string

  Scenario: an XPath random integer needs the node in the request
    Given format "XML"
    And request is "<e/>"
    And XPath "/e/floor" in request is a random integer

  Scenario: an XPath UUID4 needs the node in the request
    Given format "XML"
    And request is "<e/>"
    And XPath "/e/rid" in request is a UUID4

  Scenario: XPath checks with wrong expectations: float
    When the URL is invoked
    Then XPath "count(/employee/*)" is a float "4"

  Scenario: XPath True on a false result
    When the URL is invoked
    Then XPath "boolean(/employee/manager)" is True

  Scenario: XPath False on a true result
    When the URL is invoked
    Then XPath "boolean(/employee/name)" is False

  Scenario: XPath empty on a name
    When the URL is invoked
    Then XPath "/employee/name" is empty

  Scenario: XPath not empty on an empty element
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<e><nickname/></e>"
    When the URL is invoked
    Then XPath "/e/nickname" is not empty

  Scenario: XPath one of, not matching
    When the URL is invoked
    Then XPath "/employee/department" is one of "Sales, Legal"

  Scenario: XPath not one of, matching
    When the URL is invoked
    Then XPath "/employee/department" is not one of "HR"

  Scenario: XPath any float on text
    When the URL is invoked
    Then XPath "/employee/name" is any float

  Scenario: XPath starts with, wrongly
    When the URL is invoked
    Then XPath "/employee/name" starts with "Jane"

  Scenario: XPath ends with, wrongly
    When the URL is invoked
    Then XPath "/employee/name" ends with "Roe"

  Scenario: XPath contains, wrongly
    When the URL is invoked
    Then XPath "/employee/*" contains "Payroll"
