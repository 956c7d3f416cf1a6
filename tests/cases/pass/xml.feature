Feature: XML with XPath
  XML responses are checked, and XML requests edited, with XPath 1.0 expressions.

  Background:
    Given address "@address"

  Scenario: checking an XML response
    Given URL path "/api/xml/employee/123"
    And response format "XML"
    When the URL is invoked
    Then XPath "/employee/name" is "John Doe"
    And XPath "/employee/employee_no" is an integer "123"
    And XPath "/employee/employee_no" is any integer
    And XPath "/employee/employee_no" is any float
    And XPath "count(/employee/*)" is a float "3"
    And XPath "boolean(/employee/name)" is True
    And XPath "boolean(/employee/manager)" is False
    And XPath "'a' = 1" is False
    And XPath "/employee/name | /employee/department" is "John Doe"
    And XPath "/employee/department" is one of "HR, Payroll"
    And XPath "/employee/department" is not one of "Sales"
    And XPath "/employee/name" starts with "John"
    And XPath "/employee/name" ends with "Doe"
    And XPath "/employee/*" contains "HR"
    And XPath "/employee/name" is not empty
    And XPath "/employee/name" exists
    And XPath "/employee/password" does not exist

  Scenario: editing an XML request
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And request is "<employee id="0"><name>x</name><no>0</no><salary>0</salary><active>false</active><nickname>n</nickname><dept/><tag/><floor/><rid/></employee>"
    And XPath "/employee/name" in request is "Jane Roe"
    And XPath "/employee/@id" in request is "124"
    And XPath "/employee/no" in request is an integer "124"
    And XPath "/employee/salary" in request is a float "1234.5"
    And XPath "/employee/active" in request is True
    And XPath "/employee/nickname" in request is ""
    And XPath "/employee/dept" in request is one of "Payroll"
    And XPath "/employee/tag" in request is a random string
    And XPath "/employee/floor" in request is a random integer
    And XPath "/employee/rid" in request is a UUID4
    When the URL is invoked
    Then XPath "/employee/name" is "Jane Roe"
    And XPath "/employee/@id" is "124"
    And XPath "/employee/no" is an integer "124"
    And XPath "/employee/salary" is a float "1234.5"
    And XPath "/employee/active" is True
    And XPath "/employee/nickname" is empty
    And XPath "/employee/dept" is "Payroll"
    And XPath "/employee/tag" starts with "a"
    Given XPath "/employee/active" in request is False
    When the URL is invoked
    Then XPath "/employee/active" is False

  Scenario: a SOAP envelope from a data file, with namespaces
    Given URL path "/api/xml/echo"
    And REST method "POST"
    And format "XML"
    And SOAP action "urn:get-employee"
    And namespace prefix "emp" of "http://example.com/employee"
    And request "soap_get_employee.xml"
    And XPath "/soap:Envelope/soap:Body/emp:GetEmployee/emp:employee_no" in request is "123"
    When the URL is invoked
    Then XPath "//emp:GetEmployee/emp:employee_no" is an integer "123"
    And XPath "/soap:Envelope/soap:Body/*[local-name()='GetEmployee']" exists

  Scenario: the SOAPAction header
    Given URL path "/api/echo"
    And SOAP action "urn:get-employee"
    When the URL is invoked
    Then path "/headers/soapaction" is ""urn:get-employee""
