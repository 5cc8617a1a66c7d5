// SPDX-License-Identifier: MIT
#define BOOST_TEST_MODULE taxon regression tests
#include <boost/test/unit_test.hpp>
