// SPDX-License-Identifier: MIT
#define BOOST_TEST_MODULE taxon command - line tests
#include <boost/test/unit_test.hpp>
